import { chatLength } from '@onair/protocol';
import { type FormEvent, useId, useRef, useState } from 'react';
import { chatTextProblem } from '../../client/room/chat-text';
import type { UseStreamChatResult } from '../../hooks/use-stream-chat';
import { VISUALLY_HIDDEN } from '../visually-hidden';

export interface ChatComposerProps {
  chat: Pick<UseStreamChatResult, 'send' | 'canChat' | 'maxChatLength' | 'joined'>;
  displayName: string | undefined;
  placeholder: string;
  inputLabel: string;
}

/**
 * The input: a remaining-characters count (in code points, as the server counts), send on Enter or with the
 * button, and a refusal explained before anything is sent when the text is empty or too long.
 */
export function ChatComposer({ chat, displayName, placeholder, inputLabel }: ChatComposerProps) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const remainingId = useId();
  const problemId = useId();
  const remaining = chat.maxChatLength - chatLength(text.trim());
  const note = chat.canChat
    ? null
    : chat.joined
      ? 'You can read this chat but not write in it.'
      : 'Chat opens when you are connected.';

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const refusal = chatTextProblem(text, chat.maxChatLength);
    const result = refusal === null ? chat.send(text, displayName) : null;
    if (result?.ok) {
      setText('');
      setProblem(null);
    } else {
      setProblem(refusal ?? (result && !result.ok ? result.reason : null));
    }
    input.current?.focus();
  };

  return (
    <form className="onair-chat__composer" onSubmit={submit} data-invalid={problem ? '' : undefined}>
      <label htmlFor={inputId} style={VISUALLY_HIDDEN}>
        {inputLabel}
      </label>
      <input
        ref={input}
        id={inputId}
        className="onair-chat__input"
        type="text"
        autoComplete="off"
        enterKeyHint="send"
        value={text}
        placeholder={note ?? placeholder}
        disabled={!chat.canChat}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${remainingId} ${problemId}` : remainingId}
        onChange={(event) => {
          setText(event.target.value);
          setProblem(null);
        }}
      />
      <span id={remainingId} className="onair-chat__remaining" data-over={remaining < 0 ? '' : undefined}>
        {remaining}
        <span style={VISUALLY_HIDDEN}>
          {remaining < 0 ? ' characters over the limit' : ' characters left'}
        </span>
      </span>
      <button type="submit" className="onair-button onair-chat__send" disabled={!chat.canChat}>
        Send
      </button>
      {problem && (
        <p id={problemId} className="onair-chat__problem" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
