/** The product's version (package.json's, checked by lib/version.test.ts): build_info, `scan --version`, reports. */
export const VERSION = '0.1.0';
