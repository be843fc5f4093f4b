/** The package version, set by the build. */
declare const __VERSION__: string
