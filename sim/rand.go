package sim

import "math/rand/v2"

// splitmix64 is the finaliser of SplitMix64 (Steele, Lea, Flood 2014): a bijective mixer that turns
// nearby inputs into unrelated outputs.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Stream returns the random source of block `block` of a run with seed `seed`. Streams depend only on
// these two numbers, which is what makes results independent of the number of goroutines.
func Stream(seed, block uint64) *rand.PCG {
	a := splitmix64(seed ^ splitmix64(block))
	b := splitmix64(a ^ 0x6a09e667f3bcc909 ^ block)
	return rand.NewPCG(a, b)
}
