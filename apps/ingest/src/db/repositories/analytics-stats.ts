/** The statistics live in the domain package (the evaluation gate in the CLI uses them too). */
export {
  incompleteBeta,
  logGamma,
  meanInterval,
  normalCdf,
  studentTCdf,
  studentTQuantile,
  twoProportionTest,
  welchTTest,
  wilsonInterval,
  Z_975,
  type Estimate,
  type Summary,
  type TestResult,
} from '@sightline/core'
