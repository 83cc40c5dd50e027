using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/NasPacs.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
