// The table of formulas typeset at build time by web/katex-prerender.ts.
declare module 'virtual:katex-prerendered' {
  const typesetAtBuild: Readonly<Record<string, string | undefined>>;
  export default typesetAtBuild;
}
