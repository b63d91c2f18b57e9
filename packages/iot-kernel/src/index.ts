export * from "./magics/magic";
