// Package report renders the plain result structs of package result: text tables, JSON, and (in
// later steps) JUnit XML, HTML and charts. It computes no statistics; it only formats what it is given.
package report
