/**
 * The one set of test credentials every fake and test uses: long enough that redaction applies,
 * distinctive enough that a leak is found by a plain substring search of any output.
 */
export const TEST_ACCESS_KEY = 'AKTESTjcrkit0123456789';
export const TEST_SECRET_KEY = 'SKTESTjcrkitSecretKey9876543210';
export const TEST_REGION = 'cn-north-1';
