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

// Streams returns the two random sources of block `block`: the first is Stream(seed, block), the
// second an independent PCG stream of the same block. A block draws from both in turn; two
// generators whose multiplications do not wait on each other run about a third faster than one.
func Streams(seed, block uint64) (*rand.PCG, *rand.PCG) {
	c := splitmix64(seed ^ splitmix64(block^0xbb67ae8584caa73b))
	d := splitmix64(c ^ 0x3c6ef372fe94f82b ^ block)
	return Stream(seed, block), rand.NewPCG(c, d)
}
