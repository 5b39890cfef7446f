/**
 * The widget's icons: 24×24 stroke paths (view/icons.ts draws them). A module of its own, without Lit, so
 * the parts (which import nothing at run time) take the same paths into their files.
 */
export const SEND_ICON = 'M5 12h14M13 6l6 6-6 6';
export const STOP_ICON = 'M7 7h10v10H7z';
export const NEW_ICON = 'M12 20h9M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4Z';
export const DOWN_ICON = 'M12 5v14M6 13l6 6 6-6';
export const ALERT_ICON = 'M12 8v5M12 16.5v.5M10.3 3.9 2.4 18a2 2 0 0 0 1.7 3h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z';
export const RETRY_ICON = 'M3 12a9 9 0 0 1 15.5-6.2L21 8M21 3v5h-5M21 12a9 9 0 0 1-15.5 6.2L3 16M3 21v-5h5';
export const CLOSE_ICON = 'M6 6l12 12M18 6 6 18';

/**
 * The look of a bare round button (attach, microphone), for the parts that draw one; `.round` itself is in
 * the element's styles.
 */
export const GHOST_STYLES = '.ghost{background:none;color:var(--_muted)}.ghost:hover{background:var(--_surface);color:var(--_text)}';
