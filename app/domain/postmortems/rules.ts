/** Client-safe postmortem rules: review states and the blameless-language check. */
export * from "./review";
export * from "./blameless";
export * from "./policy";
