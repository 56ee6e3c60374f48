import { useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, type ApiErrorBody, session } from '../../../api/client';
import { useI18n } from '../../../i18n';
import { errorText } from '../../../shared/errors';
import { Field, Notice } from '../../../shared/forms';
import type { Schema } from '../../../api/types';

type UploadAnswer = Schema<'VideoUploadResponse'>;

/** Uploads a lesson's video with a progress bar (XMLHttpRequest: fetch cannot report upload progress). */
export function VideoUpload({ activityId, title, onUploaded }: { activityId: string; title: string; onUploaded: () => void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<string[]>();
  const [done, setDone] = useState<UploadAnswer>();
  const progressId = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) {
      setError([t('videoChooseFile')]);
      return;
    }
    setError(undefined);
    setDone(undefined);
    setPercent(0);
    const form = new FormData();
    form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/activities/${activityId}/video`);
    const token = session.token();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setPercent(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      setPercent(null);
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { statusCode: xhr.status, message: xhr.statusText };
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        setDone(body as UploadAnswer);
        if (input.current) input.current.value = '';
        onUploaded();
      } else {
        setError([errorText(new ApiError(xhr.status, body as ApiErrorBody), t)]);
      }
    };
    xhr.onerror = () => {
      setPercent(null);
      setError([t('networkError')]);
    };
    xhr.send(form);
  }

  return (
    <form className="video-upload" onSubmit={submit} noValidate aria-label={`${t('videoUpload')}：${title}`}>
      <Field label={t('videoFile')} errors={error}>
        {(p) => <input {...p} ref={input} type="file" name="file" accept="video/mp4,video/quicktime,video/webm,.mp4,.mov,.webm" />}
      </Field>
      <button type="submit" className="button secondary small" disabled={percent !== null}>
        {t('videoUpload')}
      </button>
      {percent !== null && (
        <div className="upload-progress">
          <label htmlFor={progressId}>{t('videoUploading', { percent })}</label>
          <progress id={progressId} max={100} value={percent} />
        </div>
      )}
      {done && (
        <Notice>
          {t('videoUploaded', { name: done.video.originalName, seconds: Math.round(done.video.durationSeconds) })}
          {done.replacement ? ` ${done.replacement.note}` : ''}
        </Notice>
      )}
    </form>
  );
}
