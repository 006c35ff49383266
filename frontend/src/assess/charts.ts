import { Chart as ChartJS, Filler, Legend, LinearScale, CategoryScale, LineElement, PointElement, RadialLinearScale, Tooltip } from 'chart.js';

// Register only what the skills charts use, to keep the bundle lean.
ChartJS.register(RadialLinearScale, LinearScale, CategoryScale, PointElement, LineElement, Filler, Tooltip, Legend);

export const brand = '#0f5c55';
export const accent = '#b4530b';
/** bandFill shades the interval around a score line: the brand colour, light enough for text on it. */
export const bandFill = 'rgba(15, 92, 85, 0.14)';
