import { MAX_DISPLAY_NAME_LENGTH } from '@onair/protocol';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useIsomorphicLayoutEffect } from '../../hooks/internal/use-isomorphic-layout-effect';
import type { UseDisplayNameResult } from '../../hooks/use-display-name';

export interface ChatNameProps {
  displayName: UseDisplayNameResult;
}

/**
 * "Chatting as Ann · Change": the name this viewer's messages go out under, and a small form to choose
 * another (kept across reloads by `useDisplayName`). A name the host set shows without the button.
 */
export function ChatName({ displayName }: ChatNameProps) {
  const { name, editable, setName } = displayName;
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const change = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const inputId = useId();
  const problemId = useId();

  useIsomorphicLayoutEffect(() => {
    if (editing) {
      input.current?.focus();
      input.current?.select();
    } else if (returnFocus.current) change.current?.focus();
    returnFocus.current = false;
  }, [editing]);

  const close = () => {
    returnFocus.current = true;
    setEditing(false);
    setProblem(null);
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = setName(draft);
    if (result.ok) close();
    else setProblem(result.reason);
  };

  if (!editing) {
    return (
      <p className="onair-chat__identity" data-editable={editable ? '' : undefined}>
        Chatting as <strong className="onair-chat__own-name">{name ?? '…'}</strong>
        {editable && name !== undefined && (
          <>
            {' '}
            <button
              ref={change}
              type="button"
              className="onair-button onair-button--text onair-chat__rename"
              aria-label={`Change your name, ${name}`}
              onClick={() => {
                setDraft(name);
                setEditing(true);
              }}
            >
              Change
            </button>
          </>
        )}
      </p>
    );
  }
  return (
    <form
      className="onair-chat__identity onair-chat__name-form"
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          close();
        }
      }}
      data-invalid={problem ? '' : undefined}
    >
      <label htmlFor={inputId}>Your name</label>
      <input
        ref={input}
        id={inputId}
        className="onair-chat__input onair-chat__name-input"
        type="text"
        autoComplete="nickname"
        enterKeyHint="done"
        // The server counts code points; an emoji is two UTF-16 units, so this only stops a paste of a novel.
        maxLength={MAX_DISPLAY_NAME_LENGTH * 2}
        value={draft}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? problemId : undefined}
        onChange={(event) => {
          setDraft(event.target.value);
          setProblem(null);
        }}
      />
      <button type="submit" className="onair-button onair-chat__send">
        Save
      </button>
      <button type="button" className="onair-button onair-button--text" onClick={close}>
        Cancel
      </button>
      {problem && (
        <p id={problemId} className="onair-chat__problem" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
