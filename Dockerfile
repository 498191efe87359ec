# Builds and runs the Tracker server (REST API + dashboard).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Tracker.Server/Tracker.Server.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080 \
    Tracker__DataDir=/data
# The server runs as the image's unprivileged user `app` ($APP_UID, 1654), never as root. /data is made and owned by
# it before VOLUME, so a new named volume starts with that owner; a bind mount must be writable by uid $APP_UID.
RUN mkdir -p /data && chown "$APP_UID:$APP_UID" /data
VOLUME /data
USER $APP_UID
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /readyz HTTP/1.0\r\n\r\n' >&3 && grep -q '200 OK' <&3"]
ENTRYPOINT ["dotnet", "Tracker.Server.dll"]
