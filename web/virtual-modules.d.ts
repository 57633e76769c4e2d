// The table of formulas typeset at build time by web/katex-prerender.ts.
declare module 'virtual:katex-prerendered' {
  const typesetAtBuild: Readonly<Record<string, string | undefined>>;
  export default typesetAtBuild;
}

// The contours of the page's first view, computed at build time by web/contours-prerender.ts.
declare module 'virtual:landscape-contours' {
  const contoursAtBuild: Readonly<
    Record<string, import('./figures/contours.js').LandscapeContours | undefined>
  >;
  export default contoursAtBuild;
}
