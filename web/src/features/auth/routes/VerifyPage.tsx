import { useParams } from 'react-router';
import { api } from '../../../api/client';
import { useI18n } from '../../../i18n';
import { LanguageSwitch } from '../../../shared/LanguageSwitch';
import { Loaded } from '../../../shared/components';
import { formatDate, formatHours } from '../../../shared/format';
import { apiKey, useApiValue } from '../../../shared/queries';
import type { Schema } from '../../../api/types';

type Verification = Schema<'CertificateVerificationResponse'>;

/**
 * The public check of a certificate (no login, no navigation): where the QR code printed on the PDF leads,
 * read on the phone that scanned it. The API's JSON answer stays at /api/certificates/verify/:code.
 */
export function VerifyPage() {
  const { code = '' } = useParams();
  const { t, lang } = useI18n();
  const result = useApiValue(apiKey(`/certificates/verify/${code}`), () => api<Verification>(`/certificates/verify/${encodeURIComponent(code)}`, { anonymous: true }));
  return (
    <div className="verify-page">
      <header className="site-header">
        <div className="header-row">
          <span className="brand">{t('appName')}</span>
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" className="content">
        <h1>{t('verifyTitle')}</h1>
        <section className="panel verify-card" data-testid="verification" aria-live="polite">
          {result.error?.status === 404 ? (
            <>
              <p className="verify-status verify-bad" role="alert">
                <span aria-hidden="true">✕ </span>
                {t('verifyNotFound')}
              </p>
              <p className="muted">{t('verifyNotFoundNote', { code })}</p>
            </>
          ) : (
            <Loaded state={result}>
              {(v) => (
                <>
                  <p className={`verify-status ${v.valid ? 'verify-ok' : 'verify-bad'}`} role="status">
                    <span aria-hidden="true">{v.valid ? '✓ ' : '✕ '}</span>
                    {v.valid ? t('verifyValid') : t('verifyRevoked')}
                  </p>
                  {v.revoked && <p className="verify-note">{t('verifyRevokedNote', { date: formatDate(v.revokedAt, lang) })}</p>}
                  <dl>
                    <dt>{t('certHolder')}</dt>
                    <dd data-testid="verify-name">{v.name}</dd>
                    <dt>{t('certCourse')}</dt>
                    <dd data-testid="verify-course">{v.course}</dd>
                    <dt>{t('certSerial')}</dt>
                    <dd>{v.serial}</dd>
                    <dt>{t('certIssuedAt')}</dt>
                    <dd>{formatDate(v.issuedAt, lang)}</dd>
                    <dt>{t('certHours')}</dt>
                    <dd>{formatHours(v.creditHours)}</dd>
                    <dt>{t('verifyIssuer')}</dt>
                    <dd>{v.issuer}</dd>
                  </dl>
                  <p className="hint">{t('verifyPrivacy')}</p>
                </>
              )}
            </Loaded>
          )}
        </section>
      </main>
    </div>
  );
}
