export { compileVrl, formatVrlDiagnostic, type VrlDiagnostic, type VrlProgramKind } from './compiler';
export { MISSING_VRL_FUNCTIONS, type MissingVrlFunction } from './missing-functions';
export { type VrlProgram, vrlProgramsOf } from './programs';
export {
  type RemapOutcome,
  runCondition,
  type RunConditionOptions,
  runRemap,
  type RunVrlOptions,
  type VrlEvent,
  type VrlType,
} from './run';
