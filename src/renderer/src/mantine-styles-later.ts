// The Mantine styles of what the shell and the first page load later (dialogs, drawers, the command palette,
// toasts), in styles.css's order: fetched right after the first page's chunk (preloadAhead in
// components/AppLayout.tsx) and awaited by every part loaded with lazyNamed (state/load-with-retry.ts) and
// before the other pages' stylesheet (pages/registry.tsx). Nothing here is a part a component in the shell's
// stylesheet is built on (test/unit/mantine-styles.test.ts checks it), so loading it later changes no cascade.
import '@mantine/core/styles/VisuallyHidden.css';
import '@mantine/core/styles/Overlay.css';
import '@mantine/core/styles/Popover.css';
import '@mantine/core/styles/ModalBase.css';
import '@mantine/core/styles/Input.css';
import '@mantine/core/styles/Combobox.css';
import '@mantine/core/styles/Divider.css';
import '@mantine/core/styles/Drawer.css';
import '@mantine/core/styles/Image.css';
import '@mantine/core/styles/Modal.css';
import '@mantine/core/styles/Notification.css';
import '@mantine/core/styles/NumberInput.css';
import '@mantine/core/styles/PasswordInput.css';
import '@mantine/core/styles/Progress.css';
import '@mantine/core/styles/SimpleGrid.css';
// Other Mantine packages' styles come after the core's.
import '@mantine/notifications/styles.css';
