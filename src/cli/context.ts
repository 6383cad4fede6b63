import type { Command } from 'commander';
import { openWorkspace, type Workspace } from '../catalog/workspace.ts';

export type SetExitCode = (code: number) => void;
export type RegisterCommand = (program: Command, setExitCode: SetExitCode) => void;

/** The workspace named by the global --workspace option (or its defaults); with a year, that year's view of it. */
export function workspaceOf(cmd: Command, year?: number): Workspace {
  const opts = cmd.optsWithGlobals() as { workspace?: string };
  return openWorkspace(opts.workspace, { year });
}
