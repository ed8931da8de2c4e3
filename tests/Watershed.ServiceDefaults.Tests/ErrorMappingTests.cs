using Google.Rpc;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;

namespace Watershed.ServiceDefaults.Tests;

public sealed class ErrorMappingTests
{
    [Fact]
    public void Validation_failures_become_invalid_argument_with_every_field_violation()
    {
        var status = ErrorMappingInterceptor.ToStatus(new InvalidArgumentException([new("name", "is required"), new("kind", "is required")]));
        Assert.Equal((int)Code.InvalidArgument, status.Code);
        var badRequest = Assert.Single(status.Details).Unpack<BadRequest>();
        Assert.Equal(["name", "kind"], badRequest.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public void Missing_objects_become_not_found_with_the_resource()
    {
        var status = ErrorMappingInterceptor.ToStatus(new NotFoundException("ballot", "42"));
        Assert.Equal((int)Code.NotFound, status.Code);
        var info = Assert.Single(status.Details).Unpack<ResourceInfo>();
        Assert.Equal(("ballot", "42"), (info.ResourceType, info.ResourceName));
    }

    [Fact]
    public void State_conflicts_become_failed_precondition_with_a_violation()
    {
        var status = ErrorMappingInterceptor.ToStatus(new PreconditionFailedException("QUORUM", "assemblies/1", "No quorum."));
        Assert.Equal((int)Code.FailedPrecondition, status.Code);
        Assert.Equal("QUORUM", Assert.Single(Assert.Single(status.Details).Unpack<PreconditionFailure>().Violations).Type);
    }

    [Theory]
    [InlineData(typeof(PermissionDeniedException), Code.PermissionDenied)]
    [InlineData(typeof(TimeoutException), Code.DeadlineExceeded)]
    public void Other_known_failures_keep_their_meaning(Type type, Code code)
    {
        var ex = (Exception)Activator.CreateInstance(type, "denied")!;
        Assert.Equal((int)code, ErrorMappingInterceptor.ToStatus(ex).Code);
    }

    [Fact]
    public void Unavailable_dependencies_become_unavailable()
    {
        var status = ErrorMappingInterceptor.ToStatus(new DependencyUnavailableException("consultation", "down"));
        Assert.Equal((int)Code.Unavailable, status.Code);
        Assert.Equal("consultation", Assert.Single(status.Details).Unpack<ErrorInfo>().Metadata["dependency"]);
    }

    [Fact]
    public void Unexpected_failures_become_internal_without_their_message()
    {
        var status = ErrorMappingInterceptor.ToStatus(new InvalidOperationException("connection string Host=secret"));
        Assert.Equal((int)Code.Internal, status.Code);
        Assert.DoesNotContain("secret", status.Message, StringComparison.Ordinal);
        Assert.Empty(status.Details);
    }
}
