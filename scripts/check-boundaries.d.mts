export interface ImportRef {
  spec: string;
  line: number;
  typeOnly: boolean;
}
export interface Arrow {
  imports: number;
  typeOnly: number;
  files: Set<string>;
}
export interface Violation {
  rule: 'a' | 'b' | 'c' | 'd' | 'e' | 'f';
  where: string;
  message: string;
}
export interface BoundaryRules {
  serverSource?: string;
  scan?: string[];
  modules: string[];
  rootOnly?: string[];
  allowed?: Record<string, string[]>;
}
export interface BoundaryResult {
  arrows: Map<string, Arrow>;
  moduleArrows: Map<string, Arrow>;
  violations: Violation[];
}
export function readImports(src: string): ImportRef[];
export function checkBoundaries(opts: { root: string; rules: BoundaryRules }): BoundaryResult;
export function formatReport(result: BoundaryResult): string;
