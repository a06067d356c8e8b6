module nnrs.example/nanomsg-go

go 1.19
