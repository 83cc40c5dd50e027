using System.Runtime.CompilerServices;

// The security tests check the route table and the schema directly, besides going through HTTP.
[assembly: InternalsVisibleTo("NasPacs.Api.Tests")]
