/**
 * The report document: what a report says, as plain data, before it is turned into a page
 * (html.ts) or into standalone SVG charts (svg.ts). A report is a title, a few headline numbers,
 * and sections of blocks: charts (a Vega-Lite spec without data plus its data as columns), tables
 * (small ones rendered in the page, large ones sortable and filterable) and text. A section or a
 * chart whose data is empty carries a sentence saying so instead of drawing an empty chart.
 */

/** Columnar data: every column has one value per row. */
export type Columns = Record<string, (number | string | null)[]>;

/** A Vega-Lite specification without `data` (the chart's columns are attached as the data source `table`). */
export type VegaLiteSpec = Record<string, unknown>;

export interface ChartBlock {
  kind: 'chart';
  /** Unique in the document; also the SVG file name. Letters, digits and dashes. */
  id: string;
  title: string;
  /** One line under the chart: what it shows and how to read it. */
  caption?: string;
  spec: VegaLiteSpec;
  data: Columns;
  /** Half-width charts sit two in a row on a wide screen. */
  width: 'full' | 'half';
  /** When set, the chart is not drawn and this sentence says why. */
  empty?: string;
  /** The variant of its section it belongs to (e.g. "h = 21"), see {@link Section.variants}. */
  variant?: string;
}

export type ColumnFormat = 'text' | 'int' | 'num' | 'pct' | 'bp' | 'date';

export interface TableColumn {
  key: string;
  label: string;
  format: ColumnFormat;
}

export interface TableBlock {
  kind: 'table';
  id: string;
  title: string;
  caption?: string;
  columns: TableColumn[];
  data: Columns;
  /** Sortable by a click on a header, filterable by a text box; rendered in the browser. */
  interactive?: boolean;
  empty?: string;
  variant?: string;
}

export interface TextBlock {
  kind: 'text';
  paragraphs: string[];
  variant?: string;
}

export type Block = ChartBlock | TableBlock | TextBlock;

export interface Section {
  id: string;
  title: string;
  intro?: string;
  blocks: Block[];
  /**
   * The section is drawn once per variant (e.g. per horizon: "h = 1", "h = 21"): the page shows
   * the blocks of one variant at a time, with a selector; print shows them all.
   */
  variants?: string[];
}

export interface HeadlineNumber {
  label: string;
  value: string;
  detail?: string;
}

export interface ReportDocument {
  kind: 'exposure-report' | 'factor-tear-sheet' | 'backtest-report' | 'optimization-report' | 'replication-report';
  title: string;
  subtitle: string;
  headlines: HeadlineNumber[];
  sections: Section[];
  /** Free text at the bottom: the program and version that wrote it. */
  footer: string;
}

/** Number of rows of columnar data (the length of its first column; 0 without columns). */
export function rowCount(data: Columns): number {
  const keys = Object.keys(data);
  return keys.length === 0 ? 0 : data[keys[0]].length;
}

/** Every chart of a document, in page order. */
export function chartsOf(doc: ReportDocument): ChartBlock[] {
  return doc.sections.flatMap((s) => s.blocks.filter((b): b is ChartBlock => b.kind === 'chart'));
}
