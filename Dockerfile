# One image for the api and the scheduler (docker-compose.yml picks the command).
FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps ./apps
COPY packages ./packages
COPY prisma ./prisma
COPY scripts ./scripts
COPY tsconfig.json tsconfig.base.json ./
RUN npm ci --no-audit --no-fund
ENV HOST=0.0.0.0
CMD ["node", "--import", "tsx", "--no-node-snapshot", "apps/api/src/server.ts"]
