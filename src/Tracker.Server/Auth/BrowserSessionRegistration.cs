using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Tracker.Server.Auth;

/// <summary>Registers the dashboard's session cookie and maps sign-out (sign-in is the <c>/login</c> page).</summary>
internal static class BrowserSessionRegistration
{
    /// <summary>The cookie scheme: HttpOnly, <c>SameSite=Strict</c>, <c>Secure</c> when the request is HTTPS, 30 days sliding.
    /// It never challenges: the default scheme (<see cref="TrackerClaims.Scheme"/>) answers 401 as problem+json.</summary>
    public static AuthenticationBuilder AddBrowserSession(this AuthenticationBuilder builder) => builder.AddCookie(BrowserSession.Scheme, o =>
        {
            o.Cookie.Name = BrowserSession.CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromDays(30);
            o.SlidingExpiration = true;
            o.LoginPath = "/login";
            o.Events = new CookieAuthenticationEvents
            {
                OnRedirectToLogin = c =>
                {
                    c.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                },
                OnRedirectToAccessDenied = c =>
                {
                    c.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                },
            };
        });

    /// <summary><c>POST /logout</c> (a form with an antiforgery token): ends the session and shows the sign-in page.</summary>
    public static IEndpointRouteBuilder MapBrowserSession(this IEndpointRouteBuilder app)
    {
        app.MapPost("/logout", SignOutAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem(
                title: "Bad Request",
                detail: "The sign-out form's antiforgery token was missing or invalid.",
                statusCode: StatusCodes.Status400BadRequest
            );
        }
        await BrowserSession.SignOutAsync(context);
        return TypedResults.Redirect($"{context.Request.PathBase}/login?signedOut=true");
    }
}
