1 2 'first|words hello world:2 |num x:0.5
-1 |words hello
0.5 'second| goodbye
