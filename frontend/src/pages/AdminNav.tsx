import { NavLink } from 'react-router-dom';

/** AdminNav switches between the admin pages. */
export function AdminNav() {
  return (
    <nav className="subnav" aria-label="Admin">
      <NavLink to="/admin" end>Users</NavLink>
      <NavLink to="/admin/grants">Complimentary access</NavLink>
      <NavLink to="/admin/events">Billing events</NavLink>
    </nav>
  );
}
