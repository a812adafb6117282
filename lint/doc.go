// Package lint reviews routing configurations without sending a request.
//
// Check takes the resources that mesh.Config.AddLenient could read (and the problems of those it
// could not) and reports findings with a severity, a stable code, the file and line of the YAML node
// at fault, the resource and a message saying what to do. Where Istio's analyzers check the same
// thing the code, name, level and message text are Istio's (IST0101, IST0106, IST0109, IST0112,
// IST0130, IST0131), and so is what they find: Istio's analyzers also look at the resources that
// fail validation, as istioctl analyze does. splitsim's own checks have SPL codes. Codes lists them
// all.
//
// Comparing the results of two runs (splitsim diff) is the diff package's job.
package lint
