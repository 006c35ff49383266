import { NavLink } from 'react-router-dom';

/** StudioNav switches between the Studio's sections. */
export function StudioNav() {
  return (
    <nav className="subnav" aria-label="Studio">
      <NavLink to="/studio" end>Modules</NavLink>
      <NavLink to="/studio/media">Media library</NavLink>
      <NavLink to="/studio/practice">Practice</NavLink>
      <NavLink to="/studio/assessments/sales-eq-profile">Assessment statistics</NavLink>
    </nav>
  );
}
