export default defineBackground(() => {
  // Wired in the sync issue.
});
