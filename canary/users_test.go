package canary

import (
	"fmt"
	"math"
	"testing"
)

// withinSE checks got against want within z standard errors of a share estimated from n users.
func withinSE(t *testing.T, what string, got, want float64, n int, z float64) {
	t.Helper()
	se := math.Sqrt(math.Max(want*(1-want), 1e-4) / float64(n))
	if math.Abs(got-want) > z*se {
		t.Errorf("%s: %.4f, closed form %.4f (%.1f standard errors off)", what, got, want, math.Abs(got-want)/se)
	}
}

// With k requests per user and independent picks at canary share w, a user sees both versions with
// probability 1 - w^k - (1-w)^k (even model: every user sends exactly k requests).
func TestUsersBothVersionsClosedForm(t *testing.T) {
	const users = 4000
	for _, tc := range []struct {
		w float64 // canary weight in percent
		k int     // requests per user in the step
	}{{5, 12}, {20, 5}, {50, 1}, {50, 3}, {1, 100}, {90, 2}} {
		t.Run(fmt.Sprintf("w=%g,k=%d", tc.w, tc.k), func(t *testing.T) {
			rps := float64(tc.k*users) / 100 // 100-second step
			p := mustPlan(t, native(fmt.Sprintf("      - {weight: %g, duration: 100}", tc.w)))
			o := opts()
			o.RPS, o.Users, o.Seed = rps, users, 7
			r := evaluate(t, p, o)
			w := tc.w / 100
			want := 1 - math.Pow(w, float64(tc.k)) - math.Pow(1-w, float64(tc.k))
			withinSE(t, fmt.Sprintf("w=%g k=%d both", w, tc.k), r.Steps[0].UsersBothVersions, want, users, 4.5)
			withinSE(t, fmt.Sprintf("w=%g k=%d canary", w, tc.k), r.Steps[0].UsersCanary, 1-math.Pow(1-w, float64(tc.k)), users, 4.5)
		})
	}
}

// Across steps a user has seen both versions unless every request went to one side:
// 1 - prod (1-w_j)^k_j - prod w_j^k_j.
func TestUsersCumulativeClosedForm(t *testing.T) {
	const users = 4000
	p := mustPlan(t, native("      - {weight: 5, duration: 100}\n      - {weight: 20, duration: 200}\n      - {weight: 50, duration: 50}"))
	o := opts()
	o.RPS, o.Users, o.Seed = float64(2*users)/100, users, 11 // k = 2, 4, 1
	r := evaluate(t, p, o)
	ws, ks := []float64{0.05, 0.2, 0.5}, []float64{2, 4, 1}
	noC, noS := 1.0, 1.0
	for j := range ws {
		noC *= math.Pow(1-ws[j], ks[j])
		noS *= math.Pow(ws[j], ks[j])
		withinSE(t, fmt.Sprintf("cumulative after step %d", j), r.Steps[j].UsersBothVersionsCumulative, 1-noC-noS, users, 4.5)
	}
}

// With the uniform model a user's count is Binomial(N, 1/U):
// E = 1 - (1 - (1-w)/U)^N - (1 - w/U)^N + (1 - 1/U)^N.
func TestUsersUniformModel(t *testing.T) {
	const users = 3000
	p := mustPlan(t, native("      - {weight: 20, duration: 100}"))
	o := opts()
	o.RPS, o.Users, o.UserModel, o.Seed = 90, users, UserModelUniform, 5 // N = 9000, 3 per user on average
	r := evaluate(t, p, o)
	n, u, w := 9000.0, float64(users), 0.2
	want := 1 - math.Pow(1-(1-w)/u, n) - math.Pow(1-w/u, n) + math.Pow(1-1/u, n)
	withinSE(t, "uniform both", r.Steps[0].UsersBothVersions, want, users, 5)
}

// The Zipf model concentrates requests: the same requests reach fewer users, so fewer users see
// the canary than with an even spread, and the split itself is unchanged.
func TestUsersZipfModel(t *testing.T) {
	p := mustPlan(t, native("      - {weight: 20, duration: 100}"))
	o := opts()
	o.RPS, o.Users = 50, 2000
	even := evaluate(t, p, o)
	o.UserModel, o.ZipfExponent = UserModelZipf, 1.2
	zipf := evaluate(t, p, o)
	if !(zipf.Steps[0].UsersCanary < even.Steps[0].UsersCanary) {
		t.Errorf("zipf users on canary %.3f, even %.3f: want fewer with zipf", zipf.Steps[0].UsersCanary, even.Steps[0].UsersCanary)
	}
	got := float64(zipf.Steps[0].CanaryRequests) / float64(zipf.Steps[0].Requests)
	if math.Abs(got-0.2) > 5*math.Sqrt(0.2*0.8/5000) {
		t.Errorf("zipf canary share %.4f, want 0.2", got)
	}
	if zipf.UserModel != "zipf(s=1.2)" {
		t.Errorf("user model %q", zipf.UserModel)
	}
}

// apportion gives integer weights of at least 1 summing exactly to sim's class scale, so the
// simulator's own conversion leaves them unchanged.
func TestApportion(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 1000, 99991} {
		for _, f := range []func(int) float64{
			func(int) float64 { return 1 },
			func(r int) float64 { return math.Pow(float64(r+1), -2) },
		} {
			ws := apportion(n, f)
			var sum float64
			for _, w := range ws {
				if w < 1 || w != math.Trunc(w) {
					t.Fatalf("n=%d: weight %v", n, w)
				}
				sum += w
			}
			if sum != classScale {
				t.Errorf("n=%d: sum %v, want %d", n, sum, classScale)
			}
		}
	}
}

// The even model spreads the remainder round robin, continuing across steps.
func TestEvenModelRoundRobin(t *testing.T) {
	m, err := newUserModel(UserModelEven, 4, 0)
	if err != nil {
		t.Fatal(err)
	}
	count := func(n int64) []int64 {
		gs, who := m.groups("h", reqGET(), n)
		out := make([]int64, 4)
		for i, g := range gs {
			out[who[i][0]] = g.Requests
		}
		return out
	}
	if got := fmt.Sprint(count(6)); got != "[2 2 1 1]" {
		t.Errorf("first step: %s", got)
	}
	if got := fmt.Sprint(count(3)); got != "[1 0 1 1]" {
		t.Errorf("second step: %s", got)
	}
	if _, err := newUserModel("sticky", 4, 0); err == nil {
		t.Error("unknown model accepted")
	}
	if _, err := newUserModel(UserModelEven, 0, 0); err == nil {
		t.Error("0 users accepted")
	}
}
