import { createTheme } from '@mantine/core';

/** System fonts only: the CSP allows no remote font origin, and an offline CA workstation has none. */
export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace',
  headings: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif' },
  cursorType: 'pointer',
  components: {
    // Mantine mounts a closed Select's option list (display: none) by default, and floating-ui then
    // positions each hidden list as its page mounts and on every resize: about 20 ms of Inventory's
    // first paint for its two filters. A list that mounts when it opens costs nothing until then; the
    // input names its list (aria-controls) only while it is open either way.
    Combobox: { defaultProps: { keepMounted: false } },
  },
});
