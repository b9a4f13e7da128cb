export { FunctionRunner, FunctionSession, type RunResult, type RunnerOptions } from "./runner";
