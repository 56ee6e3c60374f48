import { useI18n } from '../../../i18n';
import { Errors, num, str } from '../../../shared/form-values';
import { Checkbox, Field } from '../../../shared/forms';

/** Tags as typed: separated by commas (either width), 、 or new lines. */
export function splitTags(text: string): string[] {
  return [...new Set(text.split(/[,，、\n]/).map((s) => s.trim()).filter(Boolean))];
}

// ------------------------------------------------------------------------------------------------ activity form

export interface QuestionValues {
  id?: string;
  kind: 'single' | 'multiple' | 'truefalse' | 'text';
  prompt: string;
  options: string;
  answerIndex: string;
  answerIndexes: number[];
  answerBool: 'true' | 'false';
  answerText: string;
  points: string;
  explanation?: string;
}

export function emptyQuestion(): QuestionValues {
  return { kind: 'single', prompt: '', options: '', answerIndex: '0', answerIndexes: [], answerBool: 'true', answerText: '', points: '1' };
}

export function questionValues(q: Record<string, unknown>): QuestionValues {
  const answer = q.answer;
  return {
    id: q.id as string | undefined,
    kind: (q.kind as QuestionValues['kind']) ?? 'single',
    prompt: str(q.prompt),
    options: Array.isArray(q.options) ? (q.options as string[]).join('\n') : '',
    answerIndex: typeof answer === 'number' ? String(answer) : '0',
    answerIndexes: Array.isArray(answer) && answer.every((a) => typeof a === 'number') ? (answer as number[]) : [],
    answerBool: answer === false ? 'false' : 'true',
    answerText: typeof answer === 'string' ? answer : Array.isArray(answer) && answer.every((a) => typeof a === 'string') ? (answer as string[]).join('\n') : '',
    points: str(q.points ?? 1),
    explanation: q.explanation as string | undefined,
  };
}

export function questionBody(q: QuestionValues): Record<string, unknown> {
  const options = q.options.split('\n').map((o) => o.trim()).filter(Boolean);
  const answer =
    q.kind === 'single'
      ? Number(q.answerIndex)
      : q.kind === 'multiple'
        ? [...q.answerIndexes].sort((a, b) => a - b)
        : q.kind === 'truefalse'
          ? q.answerBool === 'true'
          : (() => {
              const accepted = q.answerText.split('\n').map((a) => a.trim()).filter(Boolean);
              return accepted.length === 1 ? accepted[0] : accepted;
            })();
  return {
    ...(q.id ? { id: q.id } : {}),
    kind: q.kind,
    prompt: q.prompt.trim(),
    ...(q.kind === 'single' || q.kind === 'multiple' ? { options } : {}),
    answer,
    points: num(q.points) ?? 1,
    ...(q.explanation?.trim() ? { explanation: q.explanation.trim() } : {}),
  };
}

/** One question's fields; the question bank adds an explanation and its own legend. */
export function QuestionEditor({ index, value, errors, onChange, onRemove, legend, withExplanation }: { index: number; value: QuestionValues; errors: Errors; onChange: (q: QuestionValues) => void; onRemove?: () => void; legend?: string; withExplanation?: boolean }) {
  const { t } = useI18n();
  const set = <K extends keyof QuestionValues>(key: K, v: QuestionValues[K]) => onChange({ ...value, [key]: v });
  const options = value.options.split('\n').map((o) => o.trim()).filter(Boolean);
  const choice = value.kind === 'single' || value.kind === 'multiple';
  return (
    <fieldset className="question">
      <legend>{legend ?? t('question', { n: index + 1 })}</legend>
      <div className="form-grid">
        <Field label={t('questionKind')} errors={errors.kind}>
          {(p) => (
            <select {...p} value={value.kind} onChange={(e) => set('kind', e.target.value as QuestionValues['kind'])}>
              <option value="single">{t('kindSingle')}</option>
              <option value="multiple">{t('kindMultiple')}</option>
              <option value="truefalse">{t('kindTruefalse')}</option>
              <option value="text">{t('kindText')}</option>
            </select>
          )}
        </Field>
        <Field label={t('questionPoints')} errors={errors.points}>
          {(p) => <input {...p} type="number" min={0.5} step="0.5" inputMode="decimal" value={value.points} onChange={(e) => set('points', e.target.value)} />}
        </Field>
        <Field label={t('questionPrompt')} errors={errors.prompt} className="span-2">
          {(p) => <textarea {...p} rows={2} value={value.prompt} onChange={(e) => set('prompt', e.target.value)} />}
        </Field>
        {choice && (
          <Field label={t('questionOptions')} errors={errors.options} className="span-2">
            {(p) => <textarea {...p} rows={4} value={value.options} onChange={(e) => set('options', e.target.value)} />}
          </Field>
        )}
        {value.kind === 'single' && (
          <Field label={t('questionAnswer')} errors={errors.answer}>
            {(p) => (
              <select {...p} value={value.answerIndex} onChange={(e) => set('answerIndex', e.target.value)}>
                {options.map((o, i) => (
                  <option key={i} value={String(i)}>
                    {String.fromCharCode(65 + i)}. {o}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {value.kind === 'multiple' && (
          <fieldset className="span-2 choice-list">
            <legend>{t('questionAnswer')}</legend>
            {options.map((o, i) => (
              <Checkbox
                key={i}
                label={`${String.fromCharCode(65 + i)}. ${o}`}
                checked={value.answerIndexes.includes(i)}
                onChange={(on) => set('answerIndexes', on ? [...value.answerIndexes, i] : value.answerIndexes.filter((x) => x !== i))}
              />
            ))}
            {errors.answer && (
              <p className="field-error" role="alert">
                {errors.answer.join('；')}
              </p>
            )}
          </fieldset>
        )}
        {value.kind === 'truefalse' && (
          <Field label={t('questionAnswer')} errors={errors.answer}>
            {(p) => (
              <select {...p} value={value.answerBool} onChange={(e) => set('answerBool', e.target.value as 'true' | 'false')}>
                <option value="true">{t('trueLabel')}</option>
                <option value="false">{t('falseLabel')}</option>
              </select>
            )}
          </Field>
        )}
        {value.kind === 'text' && (
          <Field label={t('questionAnswerText')} errors={errors.answer} className="span-2">
            {(p) => <textarea {...p} rows={2} value={value.answerText} onChange={(e) => set('answerText', e.target.value)} />}
          </Field>
        )}
        {withExplanation && (
          <Field label={t('questionExplanation')} errors={errors.explanation} className="span-2">
            {(p) => <textarea {...p} name="explanation" rows={2} value={value.explanation ?? ''} onChange={(e) => set('explanation', e.target.value)} />}
          </Field>
        )}
      </div>
      {onRemove && (
        <button type="button" className="button link danger-text" onClick={onRemove}>
          {t('removeQuestion')}
        </button>
      )}
    </fieldset>
  );
}
