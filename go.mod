module github.com/idkit-dev/idkit

go 1.26
