/** The first screen's view-models, computed at build time (vite.config.ts, `lab-first-screen`). */
declare module 'virtual:first-screen' {
  const data: import('./world/first-screen.svelte').FirstScreenData;
  export default data;
}
