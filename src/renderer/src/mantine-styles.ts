// Mantine's styles per component instead of the whole styles.css: only what the renderer uses ships.
// The order is styles.css's own (a component's styles after those of the parts it is built on).
// Here: what the shell and the first page (Authorities) render at once, loaded before the first paint.
// What their lazily loaded parts use (dialogs, drawers, the command palette, toasts) is in
// mantine-styles-later.ts, fetched right after the first page and before any of those parts renders
// (src/renderer/src/state/load-with-retry.ts); what only the other pages use is in mantine-styles-pages.ts,
// fetched with them (src/renderer/src/pages/registry.tsx). test/unit/mantine-styles.test.ts fails when a
// component the renderer imports has no line where it is needed.
import '@mantine/core/styles/baseline.css';
import '@mantine/core/styles/default-css-variables.css';
import '@mantine/core/styles/global.css';
import '@mantine/core/styles/ScrollArea.css';
import '@mantine/core/styles/UnstyledButton.css';
import '@mantine/core/styles/Paper.css';
import '@mantine/core/styles/Loader.css';
import '@mantine/core/styles/ActionIcon.css';
import '@mantine/core/styles/CloseButton.css';
import '@mantine/core/styles/Group.css';
import '@mantine/core/styles/Alert.css';
import '@mantine/core/styles/Text.css';
import '@mantine/core/styles/AppShell.css';
import '@mantine/core/styles/Badge.css';
import '@mantine/core/styles/Burger.css';
import '@mantine/core/styles/Button.css';
import '@mantine/core/styles/Center.css';
import '@mantine/core/styles/Code.css';
import '@mantine/core/styles/Kbd.css';
import '@mantine/core/styles/List.css';
import '@mantine/core/styles/NavLink.css';
import '@mantine/core/styles/Tooltip.css';
import '@mantine/core/styles/Stack.css';
import '@mantine/core/styles/Table.css';
import '@mantine/core/styles/ThemeIcon.css';
import '@mantine/core/styles/Title.css';
