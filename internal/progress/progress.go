// Package progress shows a progress bar on a terminal while long work advances, and nothing on pipes,
// files or CI logs.
package progress

import (
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressDelay is how long a run goes before a progress bar appears: short runs show none.
const progressDelay = time.Second

// Start shows a progress bar on w while done advances towards total, once the work has
// taken longer than progressDelay, and only when w is a terminal. The returned function stops it
// and clears the bar; nothing is written to pipes, files or CI logs.
func Start(w io.Writer, total int64, done *atomic.Int64) (stop func()) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || total <= 0 {
		return func() {}
	}
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-quit:
			return
		case <-time.After(progressDelay):
		}
		bar := progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription("simulating"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(30),
		)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				bar.Set64(done.Load())
				bar.Finish()
				return
			case <-tick.C:
				bar.Set64(done.Load())
			}
		}
	}()
	return func() {
		close(quit)
		wg.Wait()
	}
}
