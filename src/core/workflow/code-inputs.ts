// Action inputs that the action runs as code. An expression expanded into one of these is pasted into
// a program exactly as in `run:`, so template injection treats them as sinks with the same taint and
// severity model. Each row names where the fact comes from.

export type CodeLanguage = 'posix' | 'pwsh' | 'js' | 'python' | 'yq';

export interface CodeInput {
  /** `owner/repo` (lower case), optionally with a sub-path. */
  action: string;
  input: string;
  language: CodeLanguage;
  /** How the action runs it, for messages. */
  runs: string;
}

export const CODE_INPUTS: readonly CodeInput[] = [
  // actions/github-script README ("script: the script to run"): the input is the body of an async JS function.
  { action: 'actions/github-script', input: 'script', language: 'js', runs: 'runs it as JavaScript' },
  // mikefarah/yq README ("GitHub Action"): `cmd` is the yq command line, run by a shell inside the action's container.
  { action: 'mikefarah/yq', input: 'cmd', language: 'yq', runs: 'runs it as a shell command line' },
  // azure/cli README: `inlineScript` is a bash script run by the Azure CLI container.
  { action: 'azure/cli', input: 'inlinescript', language: 'posix', runs: 'runs it as a bash script' },
  // azure/powershell README: `inlineScript` is a PowerShell script run with the Az module.
  { action: 'azure/powershell', input: 'inlinescript', language: 'pwsh', runs: 'runs it as a PowerShell script' },
  // jannekem/run-python-script-action README: `script` is Python source run by the action.
  { action: 'jannekem/run-python-script-action', input: 'script', language: 'python', runs: 'runs it as a Python script' },
  // Amadevus/pwsh-script README: `script` is PowerShell run by the action.
  { action: 'amadevus/pwsh-script', input: 'script', language: 'pwsh', runs: 'runs it as a PowerShell script' },
  // 8398a7/action-slack README ("custom_payload"): the payload is evaluated as a JavaScript object expression.
  { action: '8398a7/action-slack', input: 'custom_payload', language: 'js', runs: 'evaluates it as JavaScript' },
  // The same list of "actions that accept arbitrary code" is used by zizmor's template-injection audit
  // (docs.zizmor.sh/audits/#template-injection), which Steward's rule maps to.
];

/** The code inputs of an action, by its `owner/repo[/path]` name in lower case. */
export function codeInputsOf(action: string): readonly CodeInput[] {
  return CODE_INPUTS.filter((c) => c.action === action);
}
