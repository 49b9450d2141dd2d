/**
 * uCharts' core (`@qiun/ucharts`, an ES module without typings): constructing it draws the chart on
 * `opts.context`. Only what components/stats-chart passes is typed.
 */
declare module '@qiun/ucharts/u-charts.min.js' {
  const UCharts: new (opts: Record<string, unknown>) => object;
  export default UCharts;
}
