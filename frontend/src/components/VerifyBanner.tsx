import { useState } from 'react';
import { api, ApiError } from '../api/client';

/** VerifyBanner reminds a signed-in user to confirm their address and can resend the link. */
export function VerifyBanner() {
  const [state, setState] = useState<'idle' | 'sending' | 'sent' | 'error'>('idle');
  const [msg, setMsg] = useState('');
  const resend = async () => {
    setState('sending');
    try {
      await api.POST('/api/v1/auth/verify-email/resend');
      setState('sent');
    } catch (e) {
      setMsg(e instanceof ApiError ? e.detail : 'We couldn’t send the e-mail. Please try again in a moment.');
      setState('error');
    }
  };
  return (
    <div className="banner" role="status">
      <div className="container banner-inner">
        <span>Please confirm your e-mail address: we sent you a link.</span>
        {state === 'sent' ? (
          <span>A new link is on its way.</span>
        ) : (
          <button className="link-button" onClick={resend} disabled={state === 'sending'}>
            Send the link again
          </button>
        )}
        {state === 'error' && <span>{msg}</span>}
      </div>
    </div>
  );
}
