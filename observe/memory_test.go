package observe

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// lineSource is an input of n lines made on the fly by line(i), so that a test can read inputs far
// larger than what it holds.
type lineSource struct {
	n, i int
	line func(i int) string
	buf  []byte
}

func (s *lineSource) Read(p []byte) (int, error) {
	for len(s.buf) < len(p) && s.i < s.n {
		s.buf = append(s.buf, s.line(s.i)...)
		s.i++
	}
	if len(s.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.buf)
	s.buf = s.buf[:copy(s.buf, s.buf[n:])]
	return n, nil
}

func accessLine(i int) string {
	cluster := []string{reviewsV1, reviewsV1, reviewsV2, "-"}[i%4]
	return fmt.Sprintf(`[2024-05-01T10:00:00.%03dZ] "GET /reviews/%d HTTP/1.1" 200 - via_upstream - "-" 0 312 10 9 "-" "Go-http-client/1.1" "8be84f55-2daa-4456-864b-%012d" "reviews:9080" "10.244.1.12:9080" %s 10.244.0.7:33491 10.96.47.22:9080 10.244.0.7:58573 - default`+"\n",
		i%1000, i%10, i, cluster)
}

func scrapeLine(i int) string {
	if i == 0 {
		return "# TYPE istio_requests_total counter\n"
	}
	return fmt.Sprintf(`istio_requests_total{reporter="destination",destination_service="reviews.default.svc.cluster.local",destination_version="v%d",pod="p%09d"} %d`+"\n", i%2+1, i, i%100)
}

func jsonLogLine(i int) string {
	return fmt.Sprintf(`{"start_time":"2024-05-01T10:00:00.000Z","method":"GET","path":"/r/%d","response_code":200,"response_flags":null,"upstream_cluster":%q,"request_id":"%012d"}`+"\n",
		i%10, []string{reviewsV1, reviewsV2}[i%2], i)
}

// peakHeap reads a generated input of n lines and returns the largest heap in use while reading
// it, sampled every millisecond, with what was read.
func peakHeap(t *testing.T, n int, line func(int) string) (uint64, *Observation) {
	t.Helper()
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	obs, err := Read(&lineSource{n: n, line: line}, "generated", Options{})
	close(done)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	return peak.Load(), obs
}

// TestMemoryIndependentOfInputSize reads generated access logs (text and JSON) and scrapes, then
// inputs of 4 times more lines (about 260 MB of access log), and checks that the heap the readers need does not grow with
// the input: under 48 MiB for each, and the larger input's peak within 8 MiB of the smaller one's.
func TestMemoryIndependentOfInputSize(t *testing.T) {
	small, large := 200000, 800000
	if testing.Short() || raceEnabled {
		small, large = 50000, 200000
	}
	for name, line := range map[string]func(int) string{"access log": accessLine, "json access log": jsonLogLine, "scrape": scrapeLine} {
		t.Run(name, func(t *testing.T) {
			p1, o1 := peakHeap(t, small, line)
			p2, o2 := peakHeap(t, large, line)
			if o2.Total() <= o1.Total() || len(o2.Names) != len(o1.Names) {
				t.Fatalf("read %v then %v", o1.Counts, o2.Counts)
			}
			const mib = 1 << 20
			t.Logf("peak heap: %d lines %.1f MiB, %d lines %.1f MiB", small, float64(p1)/mib, large, float64(p2)/mib)
			if p2 > 48*mib || p2 > p1+8*mib {
				t.Errorf("peak heap %.1f MiB for %d lines, %.1f MiB for %d: memory grows with the input", float64(p2)/mib, large, float64(p1)/mib, small)
			}
		})
	}
}

// BenchmarkReadAccessLog measures the text access-log reader on generated lines (about 330 bytes
// each), in bytes per second.
func BenchmarkReadAccessLog(b *testing.B) {
	benchmarkRead(b, accessLine)
}

// BenchmarkReadScrape measures the Prometheus reader on generated istio_requests_total series.
func BenchmarkReadScrape(b *testing.B) {
	benchmarkRead(b, scrapeLine)
}

func benchmarkRead(b *testing.B, line func(int) string) {
	const n = 200000
	var sb strings.Builder
	for i := range n {
		sb.WriteString(line(i))
	}
	data := sb.String()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(strings.NewReader(data), "bench", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
