import { useBillingEvents } from '../admin/queries';
import { FormError } from '../components/Form';
import { usePageTitle } from '../components/usePageTitle';
import { AdminNav } from './AdminNav';

const tone: Record<string, string> = { processed: 'badge-free', failed: 'badge-premium', ignored: 'badge-muted', received: 'badge-brand' };

/** AdminEvents lists Stripe webhook events and how their processing went. */
export function AdminEvents() {
  usePageTitle('Billing events');
  const q = useBillingEvents();
  return (
    <div className="container page">
      <h1>Admin</h1>
      <AdminNav />
      <FormError error={q.error} />
      {q.data && (
        <div className="table-wrap">
          <table className="table table-cards">
            <caption className="visually-hidden">Webhook events, newest first</caption>
            <thead><tr><th scope="col">Event</th><th scope="col">Type</th><th scope="col">Received</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Note</th></tr></thead>
            <tbody>
              {q.data.events.map((e) => (
                <tr key={e.id}>
                  <td data-label="Event" className="mono wrap-anywhere">{e.id}</td>
                  <td data-label="Type" className="wrap-anywhere">{e.type}</td>
                  <td data-label="Received">{new Date(e.received_at).toLocaleString()}</td>
                  <td data-label="State"><span className={`badge ${tone[e.state] ?? 'badge-muted'}`}>{e.state}</span></td>
                  <td data-label="Attempts">{e.attempts}</td>
                  <td data-label="Note" className="small muted wrap-anywhere">{e.last_error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {q.data.events.length === 0 && <p className="muted">No webhook events received yet.</p>}
        </div>
      )}
    </div>
  );
}
