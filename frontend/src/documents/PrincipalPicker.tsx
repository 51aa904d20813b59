// A person or group to grant a folder to, found by typing: an editable combobox with a
// list of suggestions from the tenant's directory (WAI-ARIA combobox pattern, list
// autocomplete with manual selection). Arrow keys move through the suggestions, Enter
// takes one, Escape closes the list (and then clears the field); the number of
// suggestions is announced.
import { useContext, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldError } from '../components/Field';
import { DocsContext } from './context';
import type { Directory } from './directory';
import type { PrincipalView } from './model';
import './PrincipalPicker.css';

/** What the picker finds: members or groups (roles are granted another way). */
type PickKind = Exclude<PrincipalView['type'], 'role'>;

export interface PickedPrincipal {
  type: PickKind;
  id: string;
  name: string;
}

interface Option {
  id: string;
  name: string;
  detail?: string;
}

/** Waiting time after the last keystroke before the directory is asked. */
export const SEARCH_DELAY_MS = 200;
const MAX_SUGGESTIONS = 20;

type SearchState = 'idle' | 'loading' | 'done' | 'failed';

export function PrincipalPicker({
  id,
  kind,
  label,
  onChange,
  error,
  directory: given,
}: {
  id: string;
  kind: PickKind;
  label: string;
  onChange: (value: PickedPrincipal | null) => void;
  error?: string;
  /** The tenant's directory; inside the documents module, the module's. */
  directory?: Directory;
}) {
  const { t } = useTranslation();
  const docs = useContext(DocsContext);
  const directory = given ?? docs?.directory;
  if (!directory) throw new Error('PrincipalPicker needs a directory');
  const [text, setText] = useState('');
  const [options, setOptions] = useState<Option[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [state, setState] = useState<SearchState>('idle');
  const [announce, setAnnounce] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pending = useRef<AbortController | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const listId = `${id}-listbox`;
  const hintId = `${id}-hint`;
  const optionId = (i: number) => `${id}-option-${i}`;

  useEffect(
    () => () => {
      clearTimeout(timer.current);
      pending.current?.abort();
    },
    [],
  );

  // The active suggestion stays in view while the arrow keys move through a long list.
  useEffect(() => {
    if (active < 0) return;
    const el = listRef.current?.children.item(active);
    el?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);

  const search = (q: string, delay = SEARCH_DELAY_MS) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      pending.current?.abort();
      const ac = new AbortController();
      pending.current = ac;
      setState('loading');
      setAnnounce(t('docs.perm.pickerLoading'));
      directory
        .search(q, MAX_SUGGESTIONS, ac.signal)
        .then((res) => {
          if (ac.signal.aborted) return;
          const next: Option[] =
            kind === 'user' ? res.members.map((m) => ({ id: m.id, name: m.name, detail: m.email !== m.name ? m.email : undefined })) : res.groups.map((g) => ({ id: g.id, name: g.name }));
          setOptions(next);
          setActive(-1);
          setOpen(true);
          setState('done');
          setAnnounce(next.length ? t('docs.perm.pickerResults', { count: next.length }) : t('docs.perm.pickerNone', { q: q.trim() }));
        })
        .catch(() => {
          if (ac.signal.aborted) return;
          setOptions([]);
          setOpen(true);
          setState('failed');
          setAnnounce(t('docs.perm.pickerFailed'));
        });
    }, delay);
  };

  const close = () => {
    clearTimeout(timer.current);
    setOpen(false);
    setActive(-1);
  };

  const choose = (o: Option) => {
    setText(o.name);
    close();
    setOptions([]);
    setState('idle');
    onChange({ type: kind, id: o.id, name: o.name });
    setAnnounce(t('docs.perm.pickerSelected', { name: o.name }));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const shown = open && options.length > 0;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!shown) search(text, 0);
        else setActive((a) => (a + 1) % options.length);
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (!shown) search(text, 0);
        else setActive((a) => (a <= 0 ? options.length - 1 : a - 1));
        break;
      case 'Enter':
        if (shown && active >= 0) {
          e.preventDefault();
          choose(options[active]);
        }
        break;
      case 'Escape':
        // Handled here, so that the surrounding dialog stays open.
        if (open) {
          e.preventDefault();
          e.stopPropagation();
          close();
        } else if (text) {
          e.preventDefault();
          e.stopPropagation();
          setText('');
          onChange(null);
        }
        break;
    }
  };

  const expanded = open && options.length > 0;
  const message = open && state === 'done' && options.length === 0 ? t('docs.perm.pickerNone', { q: text.trim() }) : open && state === 'failed' ? t('docs.perm.pickerFailed') : '';

  return (
    <div className={`kern-form-input app-combobox${error ? ' kern-form-input--error' : ''}`}>
      <label className="kern-label" htmlFor={id}>
        {label}
      </label>
      <div className="kern-hint" id={hintId}>
        {t(kind === 'user' ? 'docs.perm.pickerHintUser' : 'docs.perm.pickerHintGroup')}
      </div>
      <FieldError id={id} error={error} />
      <input
        id={id}
        type="text"
        role="combobox"
        className={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`}
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        aria-describedby={error ? `${hintId} ${id}-error` : hintId}
        aria-invalid={error ? true : undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onChange(null);
          if (e.target.value.trim()) search(e.target.value);
          else {
            close();
            setOptions([]);
          }
        }}
        onKeyDown={onKeyDown}
        onBlur={close}
      />
      <ul ref={listRef} id={listId} role="listbox" aria-label={t('docs.perm.suggestions')} className="app-combobox__list" hidden={!expanded}>
        {options.map((o, i) => (
          <li
            key={o.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className="app-combobox__option"
            data-id={o.id}
            // Keeps the focus in the field, so the list does not close before the click.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(o)}
          >
            <span className="app-combobox__name">{o.name}</span>
            {o.detail && <span className="app-combobox__detail">{o.detail}</span>}
          </li>
        ))}
      </ul>
      {message && <p className="kern-body app-combobox__message">{message}</p>}
      <div className="app-sr-only" role="status" aria-live="polite">
        {announce}
      </div>
    </div>
  );
}
