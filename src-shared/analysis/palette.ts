/** Ten colours that stay apart for ten classes (Tableau 10): the scatter plots, the legends and the CLI's charts share them. */
export const LABEL_PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;
