package canary

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/splitsim/splitsim/sim"
)

// How requests are spread over users. Every request is an independent weighted pick in Envoy
// (a consistentHash load balancer picks an endpoint within a destination; it does not make the
// choice between weighted destinations sticky), so what decides whether a user sees both versions is how many requests each user sends.
//
//   - even: every user sends the same number of requests in a step (round robin over the users,
//     continuing across steps; with N requests and U users, N mod U users send one more). A user
//     with k requests in a step at canary share w sees both versions with probability
//     1 - w^k - (1-w)^k.
//   - uniform: each request comes from a user drawn uniformly at random, so a user's count is
//     Binomial(N, 1/U).
//   - zipf: each request comes from user r (r = 1..U) with probability proportional to 1/r^s: a few
//     heavy users and a long tail of light ones.
const (
	UserModelEven    = "even"
	UserModelUniform = "uniform"
	UserModelZipf    = "zipf"
)

// classScale is the total of the integer class weights handed to the simulator: the same scale
// as sim's own classWeights, so that the weights pass through it unchanged.
const classScale = 1 << 31

// MaxUsers bounds --users: the simulator keeps one counter per user and destination.
const MaxUsers = 1_000_000

// userModel assigns a step's requests to users.
type userModel struct {
	kind   string
	users  int
	s      float64
	cursor int       // even: the next user to send a request
	shares []float64 // uniform, zipf: integer class weights summing to classScale
}

func newUserModel(kind string, users int, s float64) (*userModel, error) {
	if users < 1 || users > MaxUsers {
		return nil, fmt.Errorf("users must be from 1 to %d, got %d", MaxUsers, users)
	}
	m := &userModel{kind: kind, users: users, s: s}
	switch kind {
	case UserModelEven:
	case UserModelUniform:
		m.shares = apportion(users, func(int) float64 { return 1 })
	case UserModelZipf:
		if !(s >= 0) || s > 10 {
			return nil, fmt.Errorf("zipf exponent must be from 0 to 10, got %v", s)
		}
		m.shares = apportion(users, func(r int) float64 { return math.Pow(float64(r+1), -s) })
	default:
		return nil, fmt.Errorf("unknown user model %q (want even, uniform or zipf)", kind)
	}
	return m, nil
}

// describe is a sentence for the result's assumptions.
func (m *userModel) describe() string {
	switch m.kind {
	case UserModelEven:
		return fmt.Sprintf("%d users, each sending the same number of requests (round robin across the rollout); every request is an independent weighted pick", m.users)
	case UserModelUniform:
		return fmt.Sprintf("%d users; each request comes from a user drawn uniformly at random and is an independent weighted pick", m.users)
	}
	return fmt.Sprintf("%d users; each request comes from user r with probability proportional to 1/r^%g (Zipf) and is an independent weighted pick", m.users, m.s)
}

// name is the model as shown in results: "even", "uniform", "zipf(s=1.1)".
func (m *userModel) name() string {
	if m.kind == UserModelZipf {
		return fmt.Sprintf("zipf(s=%g)", m.s)
	}
	return m.kind
}

// apportion turns relative weights f(0..n-1) into integers of at least 1 summing exactly to
// classScale (largest remainder), so that sim's conversion of class weights leaves them unchanged.
func apportion(n int, f func(int) float64) []float64 {
	raw := make([]float64, n)
	var sum float64
	for i := range raw {
		raw[i] = f(i)
		sum += raw[i]
	}
	out := make([]float64, n)
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, n)
	var used int64
	budget := float64(classScale - n) // one unit for every user is set aside
	for i, v := range raw {
		x := v / sum * budget
		fl := math.Floor(x)
		out[i] = fl + 1
		used += int64(fl) + 1
		rems[i] = rem{i, x - fl}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; used < classScale; k++ {
		out[rems[k%n].i]++
		used++
	}
	return out
}

// groups builds the simulator traffic of one step: n requests of req to host, spread over the users.
// It returns the groups and, for each group and class, the user it stands for.
func (m *userModel) groups(host string, req sim.Request, n int64) ([]sim.Group, [][]int) {
	if n <= 0 {
		return nil, nil
	}
	if m.kind == UserModelEven {
		u := int64(m.users)
		base, extra := n/u, int(n%u)
		var gs []sim.Group
		var who [][]int
		for i := range m.users {
			// Users cursor, cursor+1, ... (mod U) send the extra requests.
			k := base
			if (i-m.cursor+m.users)%m.users < extra {
				k++
			}
			if k == 0 {
				continue
			}
			name := "user" + strconv.Itoa(i)
			gs = append(gs, sim.Group{Name: name, Requests: k, Classes: []sim.Class{{Name: name, Host: host, Request: req, Weight: 1}}})
			who = append(who, []int{i})
		}
		m.cursor = (m.cursor + extra) % m.users
		return gs, who
	}
	classes := make([]sim.Class, m.users)
	idx := make([]int, m.users)
	for i := range classes {
		classes[i] = sim.Class{Name: "user" + strconv.Itoa(i), Host: host, Request: req, Weight: m.shares[i]}
		idx[i] = i
	}
	return []sim.Group{{Name: "users", Requests: n, Classes: classes}}, [][]int{idx}
}
