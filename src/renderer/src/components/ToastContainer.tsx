// Mantine's toast container on its own, for App.tsx to load as a chunk of its own: the first paint does
// not wait for it (its transitions are most of @mantine/notifications). Toasts shown before it is in wait
// in @mantine/notifications' store, which the first page already holds, and appear once it mounts.
export { Notifications as ToastContainer } from '@mantine/notifications';
