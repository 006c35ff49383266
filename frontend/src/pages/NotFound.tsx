import { Link } from 'react-router-dom';
import { usePageTitle } from '../components/usePageTitle';

/** NotFound is shown for any path the app does not know. */
export function NotFound() {
  usePageTitle('Page not found');
  return (
    <div className="container narrow center-page">
      <p className="eyebrow">404</p>
      <h1>We could not find that page</h1>
      <p className="lead">The link may be old, or the page may have moved.</p>
      <p>
        <Link className="button" to="/">
          Go to the home page
        </Link>
      </p>
    </div>
  );
}
