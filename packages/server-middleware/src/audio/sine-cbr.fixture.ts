/**
 * 100 ms of a 440 Hz sine (stereo, 48 kHz) as ffmpeg 2018's libopus wrote it with `opusEncodeArgs`: six 20 ms
 * packets of 160 bytes (64 kbit/s, hard CBR) back to back, the sixth the encoder's flush (4 800 samples plus 312
 * of pre-skip need six). For the unit tests of the CBR reader and the encoder run.
 */
export const SINE_CBR_OPUS = Buffer.from(
  '/LQGWqe14f0LvgB/+QdyhNj0C9LVTEZ9LAjR5YbKARfLolOpYehqfgds+kkGB+XU1xk24lPr/a9q+03DyQhpygQIdeMaxugG' +
    'WAnXjtStLXMjjzNCIc+nqeqrO3YwFI1zddZOzxykT7cPgGnqy1odl0iw12svQjEenLvXFEm04IkX5g3+prQ0d0aUO1lDpDFI' +
    'yIBcBebN7B9BWv1qtB7VbfyzhsJRtueF+UYbUNYmdXv/3rOgsZyJ+5ycnsW658/0BTWjZxa0sTTJ3NKkfIr4U5QrpKuJ9I59' +
    'ugQMLxWAVNxXWDptMvGTipeB7rWobd28Vs5XR4kaoo6bkYEuN4Cd0Tu7ChPWpAth08vD2U1YQn1opCIAcpdCSdIIYqtJCd/v' +
    'k+CVWknh8gpkq+JqUcrAAfbZv4E/X1/h9AEREluqAa78sC7C2kXeUI9ftWTWUO3nIm61ImcVxLqywJIYBk/J5J0GYerQFlF+' +
    'Gl8VASHQjCtq74ksnvR0sKCqLrM1AR5hMP0gLKI3TqljBY/wfE5ulA4j26lYN3dPdpIjbhAoP6BhRM5vAjKUbngaD4s3MvLU' +
    'F9ARudom8tisEA5CdAWla8eKs4h38NOm+f2WKlT9Zu/MbrxgfSh9Z69M3ckAWs2u/KxadkuRB+ceO8BUN+fvDf7nGZoAi6M9' +
    'IlYIK+biQb/STCllD/EGbuyWy8oJWy5KJQUMbKlKjyALj6/nL6Cqw3nScphCwjlhQJKzX0rJM9LJEkLUfF0NvYYpmLgpiduz' +
    'WjxBZ3Dm0oG8RrsiAFCaGEn4HQUfn3tDyhFjTgz6nNASaiiml1CVKKa+JaPTdwOPfnT+AH1S1QB4EQAAAFojrvywH8mqllFS' +
    'DmC0097Ma/q93gcoQIL22aUyDdLu8XJ90x99PdDp+vd9Rwl2Ga8CvVeqmbA463LFhSD8qkghsazM3jAuI7TJq5YPCiHu5+h/' +
    '6kqndOaWX914cPJsxZ5uruBB1GdZIQbgHhlo0tlKoLkJhJJ+7ePZ1YcB2qVtgm+/qhLtLZmdJZtwEo3P67182N7pjxgf6h9B' +
    'S4ZgA33Uza78tSmEFP28RTFNFklMfb9eC4E/UgKHZedFON/7pDrQ6mYtyn5o1cYbb0JpoxLXQWcuiLcYfZT0rzTeMyGco8d0' +
    '7/+7xmf9kmo4pu9hsGwLw8eZz6dKcLGWfvf5X0C35TYrHqv3Mf2v8AiPCTw1feHikZBYRzI/uM6CruZ03cL782C/olSmMCXB' +
    'vyQ5TWtPo4oYIFfi3/JsoUFa/QqpV1Ss',
  'base64',
);
