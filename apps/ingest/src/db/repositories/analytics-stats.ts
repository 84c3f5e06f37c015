/** The statistics live in the domain package (the evaluation gate in the CLI uses them too). */
export {
  meanInterval,
  normalCdf,
  studentTCdf,
  studentTQuantile,
  twoProportionTest,
  welchTTest,
  wilsonInterval,
  type Summary,
} from '@sightline/core'
