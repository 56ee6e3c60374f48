import { Fragment, useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, download } from '../../../api/client';
import type { Activity } from '../../../api/types';
import { type MessageKey, useI18n } from '../../../i18n';
import { isStaff, useAuth } from '../../../shared/auth';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime, formatTime } from '../../../shared/format';
import { Field, FormError, Notice, useFormSubmit } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import { useMyProgress } from '../../learning/api';
import type { Schema } from '../../../api/types';

type AttendanceStatus = 'present' | 'absent' | 'excused';

export type SessionSettings = Schema<'SessionSettingsResponse'>;

export type AttendanceRow = Schema<'AttendanceRowResponse'>;

export type CurrentCode = Schema<'CheckInCodeResponse'>;

type CheckInAnswer = Schema<'CheckInResponse'>;

const STATUS_KEYS: Record<AttendanceStatus, MessageKey> = { present: 'attendancePresent', absent: 'attendanceAbsent', excused: 'attendanceExcused' };

/** The in-person session: when and where; check-in for secretaries; check-in screen and attendance for staff. */
export function SessionLesson({ activity }: { activity: Activity }) {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const s = activity.settings as unknown as SessionSettings;
  return (
    <>
      <section className="panel" aria-label={t('sessionWhen')}>
        <p>
          <strong>{t('sessionWhen')}：</strong>
          {formatDateTime(s.startsAt, lang)}–{formatTime(s.endsAt, lang)}
        </p>
        <p>
          <strong>{t('location')}：</strong>
          {s.location}
        </p>
        {s.speaker && <p>{t('speaker', { name: s.speaker })}</p>}
      </section>
      {me?.role === 'secretary' && <LearnerCheckIn activity={activity} />}
      {isStaff(me) && <StaffSession activity={activity} />}
    </>
  );
}

/** Once attended (checked in or marked present), the session says so instead of asking for a code. */
function LearnerCheckIn({ activity }: { activity: Activity }) {
  const { t } = useI18n();
  const mine = useMyProgress(activity.courseId, activity.id, true);
  if (mine.data === undefined && !mine.error) return <Spinner />;
  if (mine.data?.state === 'completed') {
    return (
      <div className="alert alert-ok" role="status" data-testid="checkin-done">
        <p>{t('checkinAttended')}</p>
      </div>
    );
  }
  // A session that is over says what happened (缺勤, 请假, not checked in) rather than offering a check-in it would refuse.
  const missed = mine.data?.standing;
  if (missed === 'absent' || missed === 'excused' || missed === 'ended') {
    const key = missed === 'absent' ? 'sessionMissedAbsent' : missed === 'excused' ? 'sessionMissedExcused' : 'sessionMissedEnded';
    return (
      <div className="alert alert-warn" role="status" data-testid="session-missed">
        <p>{t(key)}</p>
      </div>
    );
  }
  return <CheckInForm activityId={activity.id} />;
}

/** The code as typed (six digits), or taken from a scanned QR link (…/checkin/:id?code=123456). */
function codeFrom(text: string): string | null {
  try {
    const fromLink = new URL(text).searchParams.get('code');
    if (fromLink && /^\d{6}$/.test(fromLink)) return fromLink;
  } catch {
    // not a link
  }
  const digits = /\b(\d{6})\b/.exec(text);
  return digits ? digits[1] : null;
}

export function CheckInForm({ activityId, initialCode }: { activityId: string; initialCode?: string }) {
  const { t, lang } = useI18n();
  const [code, setCode] = useState(initialCode ?? '');
  const { busy, fields, other, setFields, run } = useFormSubmit(['code']);
  const [done, setDone] = useState<CheckInAnswer>();
  const [scanning, setScanning] = useState(false);
  const sentInitial = useRef(false);

  const send = useCallback(
    async (value: string) => {
      await run(async () => {
        setDone(await api<CheckInAnswer>(`/activities/${activityId}/checkin`, { method: 'POST', body: { code: value } }));
      });
    },
    [activityId, run],
  );

  // A QR link opened from the phone's camera carries the code: check in straight away.
  useEffect(() => {
    if (initialCode && /^\d{6}$/.test(initialCode) && !sentInitial.current) {
      sentInitial.current = true;
      void send(initialCode);
    }
  }, [initialCode, send]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!/^\d{6}$/.test(code)) {
      setFields({ code: [t('checkinCodeFormat')] });
      return;
    }
    void send(code);
  }

  if (done) {
    return (
      <section className="panel" aria-labelledby="checkin-title">
        <h2 id="checkin-title">{t('checkinTitle')}</h2>
        <div className="alert alert-ok" role="status" data-testid="checkin-done">
          <p>
            <strong>{done.alreadyCheckedIn ? t('checkinAlready') : t('checkinDone')}</strong> {formatDateTime(done.recordedAt, lang)}
          </p>
        </div>
      </section>
    );
  }

  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="checkin-title">
      <h2 id="checkin-title">{t('checkinTitle')}</h2>
      <Field label={t('checkinCode')} errors={fields.code} hint={t('checkinHint')} className="narrow-field">
        {(p) => (
          <input
            {...p}
            name="code"
            className="code-input"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            maxLength={6}
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
          />
        )}
      </Field>
      <FormError messages={other} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? <Spinner label={t('checkinSending')} /> : t('checkinSubmit')}
        </button>
        {canScan() && !scanning && (
          <button type="button" className="button secondary" onClick={() => setScanning(true)}>
            {t('checkinScan')}
          </button>
        )}
      </div>
      {scanning && (
        <QrScanner
          onCode={(value) => {
            setScanning(false);
            setCode(value);
            void send(value);
          }}
          onClose={() => setScanning(false)}
        />
      )}
    </form>
  );
}

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorClass = new (options: { formats: string[] }) => BarcodeDetectorLike;

function canScan(): boolean {
  return typeof window !== 'undefined' && 'BarcodeDetector' in window && Boolean(navigator.mediaDevices?.getUserMedia);
}

/** The back camera, read by the browser's own BarcodeDetector (where it has one); typing the code always works. */
function QrScanner({ onCode, onClose }: { onCode: (code: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string>();
  // The camera starts once; the latest callback is read when a code is found.
  const found = useRef(onCode);
  found.current = onCode;

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: number | undefined;
    let live = true;
    const Detector = (window as unknown as { BarcodeDetector: BarcodeDetectorClass }).BarcodeDetector;
    const detector = new Detector({ formats: ['qr_code'] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (s) => {
        stream = s;
        if (!live || !video.current) return;
        video.current.srcObject = s;
        await video.current.play();
        const tick = async () => {
          if (!live || !video.current) return;
          try {
            for (const barcode of await detector.detect(video.current)) {
              const code = codeFrom(barcode.rawValue);
              if (code) {
                found.current(code);
                return;
              }
            }
          } catch {
            // a frame that could not be read: try the next one
          }
          timer = window.setTimeout(tick, 250);
        };
        void tick();
      })
      .catch(() => live && setError(t('checkinCameraError')));
    return () => {
      live = false;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [t]);

  return (
    <div className="scanner">
      <video ref={video} muted playsInline aria-label={t('checkinScan')} />
      <FormError messages={error ? [error] : undefined} />
      <button type="button" className="button secondary" onClick={onClose}>
        {t('close')}
      </button>
    </div>
  );
}

function StaffSession({ activity }: { activity: Activity }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const navigate = useNavigate();
  const [busy, setBusy] = useState<'open' | 'close' | null>(null);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const editor = me?.role === 'instructor' || (me?.role === 'admin' && !me.unitId);

  async function setOpen(open: boolean) {
    setBusy(open ? 'open' : 'close');
    setError(undefined);
    setMessage(undefined);
    try {
      await api(`/activities/${activity.id}/checkin/open`, { method: 'POST', body: { open } });
      if (open) navigate(`/activities/${activity.id}/checkin-screen`);
      else setMessage(t('checkinClosedDone'));
    } catch (e) {
      setError(errorText(toApiError(e), t));
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      {editor && (
        <section className="panel" aria-labelledby="checkin-admin-title">
          <h2 id="checkin-admin-title">{t('checkinTitle')}</h2>
          <p className="muted">{t('checkinStaffIntro')}</p>
          <div className="actions">
            <button type="button" className="button primary" disabled={busy !== null} onClick={() => setOpen(true)}>
              {busy === 'open' ? <Spinner /> : t('checkinOpen')}
            </button>
            <Link className="button secondary" to={`/activities/${activity.id}/checkin-screen`}>
              {t('checkinScreen')}
            </Link>
            <button type="button" className="button secondary" disabled={busy !== null} onClick={() => setOpen(false)}>
              {busy === 'close' ? <Spinner /> : t('checkinClose')}
            </button>
          </div>
          {message && <Notice>{message}</Notice>}
          <FormError messages={error ? [error] : undefined} />
        </section>
      )}
      <AttendancePanel activityId={activity.id} canMark={editor} />
    </>
  );
}

function AttendancePanel({ activityId, canMark }: { activityId: string; canMark: boolean }) {
  const { t, lang } = useI18n();
  const list = useApi<AttendanceRow[]>(`/activities/${activityId}/attendance`);
  const [editing, setEditing] = useState<string | null>(null);
  const [exporting, setExporting] = useState<'csv' | 'xlsx' | null>(null);
  const [exportError, setExportError] = useState<string>();

  async function exportAs(format: 'csv' | 'xlsx') {
    setExporting(format);
    setExportError(undefined);
    try {
      await download(`/activities/${activityId}/attendance`, `考勤-${activityId}.${format}`, { format });
    } catch (e) {
      setExportError(errorText(toApiError(e), t));
    } finally {
      setExporting(null);
    }
  }

  return (
    <section aria-labelledby="attendance-title">
      <div className="page-head">
        <h2 id="attendance-title">{t('attendanceTitle')}</h2>
        <div className="actions">
          <button type="button" className="button secondary" disabled={exporting !== null} onClick={() => exportAs('csv')}>
            {exporting === 'csv' ? <Spinner label={t('downloading')} /> : t('downloadCsv')}
          </button>
          <button type="button" className="button secondary" disabled={exporting !== null} onClick={() => exportAs('xlsx')}>
            {exporting === 'xlsx' ? <Spinner label={t('downloading')} /> : t('downloadXlsx')}
          </button>
          <button type="button" className="button link" onClick={() => list.refetch()}>
            {t('refresh')}
          </button>
        </div>
      </div>
      <FormError messages={exportError ? [exportError] : undefined} />
      <Loaded state={list}>
        {(rows) => (
          <>
            <p className="muted" data-testid="attendance-summary">
              {t('attendanceSummary', {
                present: rows.filter((r) => r.status === 'present').length,
                excused: rows.filter((r) => r.status === 'excused').length,
                absent: rows.filter((r) => r.status === 'absent').length,
                total: rows.length,
              })}
            </p>
            {rows.length === 0 ? (
              <p className="empty">{t('none')}</p>
            ) : (
              <table className="table responsive" data-testid="attendance">
                <thead>
                  <tr>
                    <th scope="col">{t('colPersonName')}</th>
                    <th scope="col">{t('colUnit')} / {t('colBranch')}</th>
                    <th scope="col">{t('attendanceStatus')}</th>
                    <th scope="col">{t('attendanceRecorded')}</th>
                    {canMark && <th scope="col">{t('colAction')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <Fragment key={row.user.id}>
                      <tr>
                        <th scope="row" data-label={t('colPersonName')}>
                          {row.user.name} <span className="muted">{row.user.username}</span>
                        </th>
                        <td data-label={t('colUnit')}>{[row.user.unit, row.user.branch].filter(Boolean).join(' · ') || '—'}</td>
                        <td data-label={t('attendanceStatus')}>
                          <span className={`badge attendance-${row.status ?? 'none'}`}>{row.status ? t(STATUS_KEYS[row.status]) : t('attendanceNone')}</span>
                          {row.method && <span className="muted"> · {row.method === 'code' ? t('methodCode') : t('methodManual')}</span>}
                          {row.reason && <span className="block muted">{t('attendanceReasonShown', { reason: row.reason })}</span>}
                        </td>
                        <td data-label={t('attendanceRecorded')}>{formatDateTime(row.recordedAt, lang)}</td>
                        {canMark && (
                          <td data-label={t('colAction')}>
                            <button
                              type="button"
                              className="button secondary small"
                              aria-label={t('attendanceMark', { name: row.user.name })}
                              aria-expanded={editing === row.user.id}
                              onClick={() => setEditing(editing === row.user.id ? null : row.user.id)}
                            >
                              {t('attendanceMarkShort')}
                            </button>
                          </td>
                        )}
                      </tr>
                      {editing === row.user.id && (
                        <tr className="row-form">
                          <td colSpan={5}>
                            <MarkForm
                              activityId={activityId}
                              row={row}
                              onDone={() => {
                                setEditing(null);
                                list.refetch();
                              }}
                            />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}

function MarkForm({ activityId, row, onDone }: { activityId: string; row: AttendanceRow; onDone: () => void }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<AttendanceStatus>(row.status ?? 'present');
  const [reason, setReason] = useState(row.reason ?? '');
  const { busy, fields, other, run } = useFormSubmit(['status', 'reason']);

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await api(`/activities/${activityId}/attendance/${row.user.id}`, { method: 'PUT', body: { status, ...(reason.trim() ? { reason: reason.trim() } : {}) } });
      onDone();
    });
  }

  return (
    <form className="inline-form mark-form" onSubmit={submit} noValidate aria-label={t('attendanceMark', { name: row.user.name })}>
      <Field label={t('attendanceStatus')} errors={fields.status}>
        {(p) => (
          <select {...p} value={status} onChange={(e) => setStatus(e.target.value as AttendanceStatus)}>
            {(Object.keys(STATUS_KEYS) as AttendanceStatus[]).map((s) => (
              <option key={s} value={s}>
                {t(STATUS_KEYS[s])}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={status === 'excused' ? t('attendanceReasonRequired') : t('attendanceReason')} errors={fields.reason}>
        {(p) => <input {...p} type="text" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? <Spinner label={t('saving')} /> : t('save')}
      </button>
      <FormError messages={other} />
    </form>
  );
}

/**
 * The projector: the rotating code and its QR, refreshed when the server's slot ends, and how many have
 * checked in. Full screen on request (F or the button); Escape leaves full screen.
 */
