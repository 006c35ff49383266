import { useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { useCertificate } from '../progress/queries';
import { NotFound } from './NotFound';

/** CertificatePage lets anyone verify a certificate by its code; it prints as a clean single page. */
export function CertificatePage() {
  const { code = '' } = useParams();
  const q = useCertificate(code);
  usePageTitle(q.data ? `Certificate: ${q.data.module_title}` : 'Certificate');
  if (q.error instanceof ApiError && q.error.status === 404) return <NotFound />;
  const c = q.data;
  return (
    <div className="container page certificate-page">
      <FormError error={q.error} />
      {c && (
        <>
          <article className="certificate" aria-labelledby="cert-title">
            <p className="cert-brand">Rapport</p>
            <p className="cert-kicker">Certificate of completion</p>
            <p className="cert-intro">This certifies that</p>
            <h1 id="cert-title" className="cert-name">{c.user_name}</h1>
            <p className="cert-intro">completed every lesson of the module</p>
            <p className="cert-module">{c.module_title}</p>
            <p className="cert-date">
              on {new Date(c.issued_at).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' })}
            </p>
            <p className="cert-code">
              Verify at {window.location.origin}/certificates/{c.code}
            </p>
          </article>
          <p className="no-print center">
            <button className="button button-secondary" onClick={() => window.print()}>
              Print or save as PDF
            </button>
          </p>
        </>
      )}
    </div>
  );
}
