/**
 * 100 ms of a 440 Hz sine (stereo, 48 kHz) as ffmpeg 2018's libopus wrote it with `opusEncodeArgs`: OpusHead,
 * OpusTags, six 20 ms packets one a page (the first one 297 bytes, two lacing segments), the last page trimmed to
 * granule 5 112 (4 800 samples + 312 pre-skip). For the unit tests of the Ogg reader and the packet clock.
 */
export const SINE_OGG_OPUS = Buffer.from(
  'T2dnUwACAAAAAAAAAAAIqjE6AAAAAF8iZU0BE09wdXNIZWFkAQI4AYC7AAAAAABPZ2dTAAAAAAAAAAAAAAiqMToBAAAAoW6z' +
    'MgE+T3B1c1RhZ3MNAAAATGF2ZjU4LjI0LjEwMAEAAAAdAAAAZW5jb2Rlcj1MYXZjNTguNDIuMTAwIGxpYm9wdXNPZ2dTAADA' +
    'AwAAAAAAAAiqMToCAAAAWOTfFQL/Kvy0BlqnteH9C74Af/kHcoTY9AuvW4enZraQ+7GopfOck4tbnhnkYE2ET6mLY4SqpIz7' +
    'UmNPhDnp8I6gPCgGmRPB7v5/ypxrrNRAHmh7HBfeUQAX9y3wD4Jv14JWfqeM4fjC3eaEk52Q1fFZnzYt2PaOyRqUMSltuN1J' +
    'AuzgQWdQtsxWl6UzuaU0DwlMNJCpU6+NfFcn4zST+aTwYZnez3nXUOWLiYRkcs+DiIMzO0uoUlXREOfSeuD9EOfSI4MUObdX' +
    'qkS23y+K/lhh9djAVyX5QZFd5rClE2IVhvQ2iwwXClBfLIOr/O4OKHbibT2ganS4E/3dkKnlW9NyNh6uZtM/4kyh6cvgLmCj' +
    '2extk/08+Iu4WlBxew+QxIls3sB/ITbS/VKtpP7VbU9nZ1MAAIAHAAAAAAAACKoxOgMAAAAbsDbQAcD8s4bCUbbnhflGG1DW' +
    'JnV7/97l4VjORP3OTl5rQ6iWpYpwUiA39HnZS7U93fJJMLMzIgQXk3762KyxpxUs93H1tZeCLdiq9xbdYxrVH1ONSaRapkK6' +
    'nsHYui4EhHA9kdGXsKOrvF27Cm6AAnTrWUHsfBt6ABICnjth8RE9rvt9Tkz2ib9/ETIE6kF1WCGgDNip84fqEiT1mK78TwCG' +
    'jkBIZJdZC8iJrBxKDv+7AAd75mr4AT9fX+ofQARESW6kAa5PZ2dTAABACwAAAAAAAAiqMToEAAAATUl6cAHL/LAuwtpF3lC/' +
    '93tnASlfFPGdDkPnijBGsQdeTAlX2NpuZZbiNNJ27RLMhaNaWIXtUYLoOOZ4OSr+/pAnUnfti/ZiRjePGdY1rI9G+sbPK3Z5' +
    'yblJjhmS5CYp+ShPJFvXrVIrujvcLYb4phCSaCja6Uyv0zGB99z6siUc/b1699BnsnyR7o1jVepLfIy2TtcO8zSEvRlpt1JF' +
    'NaCwhmDBQZpDzgKaKph1YB2v3dFg0huTugu3gU+6zd+Y7rxIBtSh9L/r2s3ckAFUq65PZ2dTAAAADwAAAAAAAAiqMToFAAAA' +
    'p0BMaQHB/Kxadmhiy7CHrggJGWJ43fiZ+fgt+VGdIa7AeYe/azEyLxJt7bBzw7w2vVE3QL7rz4w67xI5M2YHOGXKSChpBPeX' +
    'TTNHzd4NpEwGylCR3Ur1x+Filt+7dkLG3RBHKohjEk4wNXpfTSf9BIsNMmL6dhoDBbFZm7n5g2hgXRqfxpAyJBlyi5cmKqWz' +
    '0ZaopTCvpq0n6jBZYmfaW8SvenOem3QyYBzqmHUYF4nq9Cv5tN3A/+SAfVLVAAeEqv+AEOwjrk9nZ1MAAMASAAAAAAAACKox' +
    'OgYAAAAo/RAyAcH8sB/JqpZRUg5gtNPezGwL+O8DlCBBe3H6f1YR08Iz8QrC3btVkoeozDv8zwK0LPizGTNX3ExEC3Kui1ld' +
    'rqrN3EuZc+Xxbl/to/fs1a3nKA99mogl4lSR9YgxTuYEQD/FimujiQfdRD7zAbPPVyFiLWKkHez849Pp6pXfLl+iOK3iBvmd' +
    '1kNIktKvq0BbcgUzjeQW892DfZIrOlp3aHx/SAX1kBu9TaQA9Xd3r5seiSgTxIB/qH0C0uTmADfeyM2uT2dnUwAE+BMAAAAA' +
    'AAAIqjE6BwAAANw6vNYC/xP8tSmDzY0yDh9zXsMcFX7jUDHtB0cGnAAPe+Whg7dakQYxjzKhX6BOTeu9C+uoF9TiqG1GiCyq' +
    'DGXFhIQEUeh/EJ05QaZ63zNZcmnuPzdtZzC30xEkUe/GJMHIZuffWTvd1bKAzGRTMdOqNNhrwR9OfWCo0M54f4bwAtLlSynR' +
    'DocvvQJ2hEYoWp29VmkFW9RPfr0oJ82Fr6boAeAZ+BgED9lvfgM3a1bAsQVm7rTL0FVaxln4SKDqyOnt4OzZA/zCw80PJwyD' +
    'buiXziiE3BvvK+krgaTTd0qt4u5VnCAFK6JbSTI88umarhINv3B7l1GyX9umKAwIetnaGhR9Wx10TLoDnX/JskBIBbS/SqqV' +
    'oVSs',
  'base64',
);
